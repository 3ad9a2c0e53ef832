def parse_args(argv):  # expect: PERF010
    opts = {"verbose": 0, "files": []}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--"):
            key, sep, value = arg[2:].partition("=")
            if not sep:
                if i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                    value = argv[i + 1]
                    i += 1
                else:
                    value = True
            opts[key] = value
        elif arg.startswith("-") and len(arg) > 1:
            for flag in arg[1:]:
                if flag == "v":
                    opts["verbose"] += 1
                else:
                    raise SystemExit(f"unknown flag -{flag}")
        else:
            opts["files"].append(arg)
        i += 1
    return opts
