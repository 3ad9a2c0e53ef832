ROUTES = {
    "/": "index",
    "/about": "about",
]  # expect: INPUT003
