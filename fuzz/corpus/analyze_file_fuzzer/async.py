import time, requests
async def f():
    time.sleep(1)
    requests.get('http://x')
    async with a as b:
        async for c in d:
            await c
