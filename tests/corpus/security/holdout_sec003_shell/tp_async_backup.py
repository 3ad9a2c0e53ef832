import asyncio

from aiohttp import web


async def backup(request: web.Request) -> web.Response:
    db_name = request.match_info["db"]
    proc = await asyncio.create_subprocess_shell(  # expect: SEC003
        "pg_dump %s | gzip > /backups/%s.sql.gz" % (db_name, db_name),
        stdout=asyncio.subprocess.PIPE,
    )
    await proc.wait()
    return web.json_response({"status": proc.returncode})


class GitRepo:
    def __init__(self, path):
        self.path = path

    def log(self, ref):
        import subprocess
        return subprocess.getoutput("git -C {} log --oneline {}".format(self.path, ref))  # expect: SEC003
