import asyncio


async def render_pdf(html_path, pdf_path):
    proc = await asyncio.create_subprocess_exec("wkhtmltopdf", html_path, pdf_path)
    return await proc.wait()


async def render_all(jobs):
    return await asyncio.gather(*(render_pdf(j.html, j.pdf) for j in jobs))
