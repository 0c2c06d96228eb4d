#!/usr/bin/env python3
"""Writes order.json, the benchmark's ~10 KB order document (deterministic)."""
import json
import random

rng = random.Random(42)
items = []
for i in range(100):
    item = {
        "sku": "%s-%05d" % (rng.choice(["ABC", "XYZ", "KLM", "QRS"]), rng.randrange(100000)),
        "quantity": rng.randrange(1, 20),
        "unitPrice": rng.randrange(100, 100000) / 100,
        "currency": "EUR",
    }
    if i % 3 == 0:
        item["discount"] = None if i % 2 else rng.randrange(0, 50)
    items.append(item)
subtotal = round(sum(it["quantity"] * it["unitPrice"] for it in items), 2)
order = {
    "id": "3f2b8c1e-9d4a-4e6b-8a71-0c5d2e9f1a34",
    "number": "ORD-2024-001234",
    "status": "paid",
    "createdAt": "2024-05-17T09:12:33.120Z",
    "updatedAt": None,
    "channel": "web",
    "clientIp": "203.0.113.42",
    "customer": {"id": 918273, "email": "ann.lee@example.org", "name": "Ann Lee",
                 "phone": "+4915112345678", "loyaltyTier": "gold"},
    "shippingAddress": {"line1": "Hauptstrasse 5", "line2": None, "city": "Berlin",
                        "postalCode": "10115", "country": "DE"},
    "billingAddress": {"line1": "Hauptstrasse 5", "city": "Berlin", "region": "Berlin",
                       "postalCode": "10115", "country": "DE"},
    "items": items,
    "payment": {"method": "card", "brand": "visa", "last4": "4242", "expires": "09/27"},
    "totals": {"subtotal": subtotal, "tax": round(subtotal * 0.19, 2), "shipping": 4.99,
               "total": round(subtotal * 1.19 + 4.99, 2), "currency": "EUR"},
    "tags": ["gift", "express", "newsletter-2024"],
    "notes": "Please ring twice.",
}
with open("order.json", "w") as out:
    json.dump(order, out, indent=1)
    out.write("\n")
