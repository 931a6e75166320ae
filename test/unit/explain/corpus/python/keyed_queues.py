# expect: ordered-consumption routing=per-key workers=4 key="msg.key" risks=resize-moves-keys,hot-key
import queue
import zlib

queues = [queue.Queue(), queue.Queue(), queue.Queue(), queue.Queue()]


def on_message(msg):
    queues[zlib.crc32(msg.key) % len(queues)].put(msg)
