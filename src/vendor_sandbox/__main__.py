"""`python -m vendor_sandbox` is `vendor-sandbox`."""

from .cli import main

main()
