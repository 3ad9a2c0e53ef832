import math


class Simulation:
    def step(self, bodies):
        for body in bodies:
            self.world.gravity.apply(body)
            self.world.gravity.apply(body)
            self.world.gravity.apply(body)

    def integrate(self, particles, steps):
        for _ in range(steps):
            for p in particles:
                p.state.pos.x += p.state.vel.x
                p.state.pos.y += p.state.vel.y
                p.state.pos.z += p.state.vel.z

    def relax(self, cells):
        for cell in cells:
            for n in cell.neighbours:
                self.grid.current = n
                self.grid.current.value.update(1)
                self.grid.current.value.update(2)
                self.grid.current.value.update(3)


def norms(rows):
    out = []
    for row in rows:
        for v in row:
            out.append(math.sqrt(v) + math.sqrt(v + 1))
    return out
