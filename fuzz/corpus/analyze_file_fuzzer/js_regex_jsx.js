Jconst r = /a\/b[/]c/gi; const el = <div onClick={() => x}>{y}</div>;
