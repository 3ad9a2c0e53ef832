Jconst s = `a ${`b ${`c ${d}`}`}`;
