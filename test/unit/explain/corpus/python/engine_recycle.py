# expect: connection-pool library="SQLAlchemy (MySQL)" maxSize=15 maxLifetimeMs=3600000 validation=true risks=
from sqlalchemy import create_engine

engine = create_engine("mysql+pymysql://app@db/shop", pool_size=5, pool_recycle=3600, pool_pre_ping=True)
