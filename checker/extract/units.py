"""Unit vocabularies: surface form -> (dimension, factor to the base unit)."""
from __future__ import annotations

import re

DURATION = {
    "second": 1, "seconds": 1, "sec": 1, "secs": 1,
    "minute": 60, "minutes": 60, "min": 60, "mins": 60,
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600, "h": 3600,
    "day": 86400, "days": 86400, "night": 86400, "nights": 86400,  # "three nights in jail"
    "weekend": 172800, "weekends": 172800,
    "week": 604800, "weeks": 604800,
    "month": 2629800, "months": 2629800,
    "year": 31557600, "years": 31557600, "yr": 31557600, "yrs": 31557600,
    "decade": 315576000, "decades": 315576000,
    "century": 3155760000, "centuries": 3155760000,
}

# (dimension, factor to SI base); case-sensitive keys first tried as written, then lower-cased
QUANTITY = {
    "km/h": ("speed", 1 / 3.6), "kmh": ("speed", 1 / 3.6), "kph": ("speed", 1 / 3.6),
    "kilometers per hour": ("speed", 1 / 3.6), "kilometres per hour": ("speed", 1 / 3.6),
    "mph": ("speed", 0.44704), "miles per hour": ("speed", 0.44704), "miles an hour": ("speed", 0.44704),
    "kmph": ("speed", 1 / 3.6), "km/hr": ("speed", 1 / 3.6), "kilometres an hour": ("speed", 1 / 3.6),
    "kilometers an hour": ("speed", 1 / 3.6), "knots": ("speed", 0.514444),
    "m/s": ("speed", 1.0), "meters per second": ("speed", 1.0), "metres per second": ("speed", 1.0),
    "km": ("length", 1000.0), "kilometers": ("length", 1000.0), "kilometres": ("length", 1000.0),
    "kilometer": ("length", 1000.0), "kilometre": ("length", 1000.0),
    "meters": ("length", 1.0), "metres": ("length", 1.0), "meter": ("length", 1.0), "metre": ("length", 1.0),
    "cm": ("length", 0.01), "centimeters": ("length", 0.01), "centimetres": ("length", 0.01),
    "mm": ("length", 0.001), "millimeters": ("length", 0.001), "millimetres": ("length", 0.001),
    "miles": ("length", 1609.344), "mile": ("length", 1609.344),
    "feet": ("length", 0.3048), "foot": ("length", 0.3048), "ft": ("length", 0.3048),
    "inches": ("length", 0.0254), "inch": ("length", 0.0254), "yards": ("length", 0.9144),
    "kg": ("mass", 1.0), "kilograms": ("mass", 1.0), "kilogram": ("mass", 1.0), "kilos": ("mass", 1.0),
    "grams": ("mass", 0.001), "gram": ("mass", 0.001), "milligrams": ("mass", 1e-6), "milligram": ("mass", 1e-6),
    "mg": ("mass", 1e-6), "micrograms": ("mass", 1e-9), "microgram": ("mass", 1e-9), "microgrammes": ("mass", 1e-9),
    "μg": ("mass", 1e-9), "pounds": ("mass", 0.453592), "pound": ("mass", 0.453592),
    "tonnes": ("mass", 1000.0), "tonne": ("mass", 1000.0), "tons": ("mass", 1000.0), "ton": ("mass", 1000.0),
    "metric tons": ("mass", 1000.0), "lbs": ("mass", 0.453592), "lb": ("mass", 0.453592),
    "hectares": ("area", 10000.0), "hectare": ("area", 10000.0), "ha": ("area", 10000.0),
    "acres": ("area", 4046.86), "acre": ("area", 4046.86),
    "square kilometers": ("area", 1e6), "square kilometres": ("area", 1e6), "sq km": ("area", 1e6),
    "km2": ("area", 1e6), "km²": ("area", 1e6), "square miles": ("area", 2.589988e6),
    "square meters": ("area", 1.0), "square metres": ("area", 1.0), "m2": ("area", 1.0), "m²": ("area", 1.0),
    "square feet": ("area", 0.092903), "sq ft": ("area", 0.092903),
    "liters": ("volume", 0.001), "litres": ("volume", 0.001), "liter": ("volume", 0.001), "litre": ("volume", 0.001),
    "gallons": ("volume", 0.00378541), "gallon": ("volume", 0.00378541), "barrels": ("volume", 0.158987), "cubic meters": ("volume", 1.0),
    "MW": ("power", 1e6), "megawatts": ("power", 1e6), "GW": ("power", 1e9), "gigawatts": ("power", 1e9),
    "kW": ("power", 1e3), "kilowatts": ("power", 1e3),
    "kWh": ("energy", 3.6e6), "MWh": ("energy", 3.6e9), "GWh": ("energy", 3.6e12), "TWh": ("energy", 3.6e15),
    "°C": ("temp_c", 1.0), "degrees Celsius": ("temp_c", 1.0),
    "°F": ("temp_f", 1.0), "degrees Fahrenheit": ("temp_f", 1.0),
    "points": ("points", 1.0),
    "GB": ("data", 1e9), "TB": ("data", 1e12), "MB": ("data", 1e6),
}

CURRENCY_SYMBOL = {"$": "USD", "US$": "USD", "U.S.$": "USD", "U.S$": "USD", "MEX$": "MXN", "CAD$": "CAD", "₾": "GEL",
                   "MXN": "MXN", "USD": "USD", "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
                   "¥": "JPY", "JPY": "JPY", "₩": "KRW", "KRW": "KRW", "CNY": "CNY", "RMB": "CNY",
                   "A$": "AUD", "AUD": "AUD", "C$": "CAD", "CAD": "CAD", "HK$": "HKD", "NZ$": "NZD",
                   "S$": "SGD", "R$": "BRL", "Rs": "INR", "Rs.": "INR", "₹": "INR", "INR": "INR", "CHF": "CHF"}
CURRENCY_WORD = {"dollars": "USD", "dollar": "USD", "us dollars": "USD", "euros": "EUR", "euro": "EUR",
                 "yen": "JPY", "won": "KRW", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR",
                 "francs": "CHF", "pounds sterling": "GBP", "cents": "USD_CENT", "cent": "USD_CENT",
                 "pence": "GBP_PENCE", "penny": "GBP_PENCE", "pennies": "GBP_PENCE", "us dollar": "USD",
                 "u.s. dollars": "USD", "u.s. dollar": "USD", "australian dollars": "AUD", "australian dollar": "AUD",
                 "canadian dollars": "CAD", "canadian dollar": "CAD", "swiss francs": "CHF", "swiss franc": "CHF",
                 "chinese yuan": "CNY", "japanese yen": "JPY", "turkish lira": "TRY", "rupee": "INR",
                 "bitcoins": "BTC", "bitcoin": "BTC", "btc": "BTC", "aud": "AUD", "cad": "CAD", "chf": "CHF",
                 "inr": "INR", "rmb": "CNY",
                 "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "krw": "KRW", "cny": "CNY"}

PERCENT = {"%": "%", "percent": "%", "per cent": "%", "pct": "%",
           "percentage points": "pp", "percentage point": "pp"}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


DURATION_RX = _alternation(DURATION)
QUANTITY_RX = _alternation(QUANTITY)
CURRENCY_WORD_RX = _alternation(CURRENCY_WORD)
