# expect: none
_cache = {}


def settings(r, name):
    if name in _cache:
        return _cache[name]
    value = r.get(f"settings:{name}")
    r.set(f"settings:{name}", value, ex=60)
    _cache[name] = value
    return value
