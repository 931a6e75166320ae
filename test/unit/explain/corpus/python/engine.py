# expect: connection-pool library="SQLAlchemy (MySQL)" maxSize=30 acquireTimeoutMs=10000 risks=no-max-lifetime
from sqlalchemy import create_engine

engine = create_engine(
    "mysql+pymysql://app@db/shop",
    pool_size=20,
    max_overflow=10,
    pool_timeout=10,
)
