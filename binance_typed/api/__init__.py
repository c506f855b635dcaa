"""Typed group classes, generated from ``binance_typed/endpoints`` by ``scripts/generate.py``.

Do not edit the group modules by hand: change the endpoint declaration and regenerate.
"""
