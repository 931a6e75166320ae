# expect: distributed-transaction
from django.db import transaction

def checkout(cart):
    with transaction.atomic():
        order = Order.objects.create(user=cart.user, total=cart.total)
        cart.items.update(order=order)
