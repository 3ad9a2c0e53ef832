"""PEP 701 f-strings (Python 3.12): quotes reused inside replacement fields, nesting, comments
and line breaks inside an expression."""

songs = ["Take me back to Eden", "Alkaline", "Ascensionism"]
users = {"ada": {"name": "Ada"}}
width = 12

playlist = f"This is the playlist: {", ".join(songs)}"
nested = f"{f"{f"{width}"}"}"
lookup = f"{users["ada"]["name"]!r:>{width}}"
report = f"total: {
    len(songs)  # how many songs
    + len(users)
}"
lines = f"{"\n".join(songs)}"
debug = f"{width = }"
