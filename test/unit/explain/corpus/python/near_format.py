# expect: none
def cache_key(uid):
    return "user:%s" % uid


def page(items, number, per_page=20):
    pages = max(1, -(-len(items) // per_page))
    number = number % pages
    return items[number * per_page:(number + 1) * per_page]
