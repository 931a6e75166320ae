# expect: ordered-consumption routing=shared workers=16 framework="concurrent.futures" risks=order-lost-shared-queue
from concurrent.futures import ThreadPoolExecutor

executor = ThreadPoolExecutor(max_workers=16)

for record in consumer:
    executor.submit(process_record, record.value)
