Jconst { a: { b: [c, ...d] }, ...e } = req.body; fs.readFile(path.join(dir, c));
