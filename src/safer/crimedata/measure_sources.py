"""Calculations from police.uk data that success measures can take their values from."""
