# expect: hash-function name=__hash__ form=__hash__-override risks=mutable-hash-fields
class Account:
    def __init__(self, number, owner):
        self.number = number
        self.owner = owner

    def rename(self, owner):
        self.owner = owner

    def __eq__(self, other):
        return self.number == other.number and self.owner == other.owner

    def __hash__(self):
        return hash((self.number, self.owner))
