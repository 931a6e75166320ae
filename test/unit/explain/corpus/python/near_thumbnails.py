# expect: none
from concurrent.futures import ThreadPoolExecutor
from PIL import Image


def thumbnails(paths):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda p: Image.open(p).resize((128, 128)), paths))
