"""Services: the only callers of the domain rules and the only owners of transactions.

Every change runs in one unit of work that loads, applies the rules, persists, appends its audit
events and commits; the transport then hands the returned events to the notifier.
"""
