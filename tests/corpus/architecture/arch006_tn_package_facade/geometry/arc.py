class Arc:
    kind = 'arc'
