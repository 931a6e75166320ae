# expect: none
import requests


def fetch_rates():
    resp = requests.get("https://api.example.com/rates", timeout=5)
    resp.raise_for_status()
    return resp.json()
