"""The emulated vendors; adding one is a package and a line here."""

from . import hipp

VENDORS = (hipp,)
