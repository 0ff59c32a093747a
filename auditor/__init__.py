"""post-purchase-auditor: a mystery shopper that keeps receipts.

One run buys (or asks) like a customer, writes down what the store showed,
collects what the store then sends, and scores it with evidence.
"""

__version__ = "0.1.0"
