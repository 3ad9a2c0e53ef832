def validate_shipment(s):  # expect: PERF004
    errors = []
    if not s.get("id"):
        errors.append("id missing")
    if not s.get("address"):
        errors.append("address missing")
    if s.get("weight", 0) <= 0:
        errors.append("weight must be positive")
    if s.get("weight", 0) > 30000:
        errors.append("too heavy")
    if s.get("country") not in ("DE", "FR", "NL", "BE"):
        errors.append("country not served")
    if s.get("express") and s.get("country") != "DE":
        errors.append("express only in DE")
    if s.get("hazmat") and not s.get("hazmat_class"):
        errors.append("hazmat class missing")
    if s.get("insured") and s.get("value", 0) <= 0:
        errors.append("insured value missing")
    if s.get("cod") and s.get("cod_amount", 0) <= 0:
        errors.append("cash on delivery amount missing")
    if len(s.get("reference", "")) > 35:
        errors.append("reference too long")
    return errors
