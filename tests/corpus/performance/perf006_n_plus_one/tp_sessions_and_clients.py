import httpx
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select

db = SQLAlchemy()


def deactivate(user_ids):
    for uid in user_ids:
        user = db.session.get(User, uid)  # expect: PERF006
        user.active = False
    db.session.commit()


async def crawl(urls):
    results = []
    async with httpx.AsyncClient() as client:
        for url in urls:
            results.append(await client.get(url))  # expect: PERF006
    return results


def row_counts(engine, tables):
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in tables}  # expect: PERF006


def author_names(books):
    # Django: each book.author is a lazy foreign key, one query per book; no call shows it.
    return [book.author.name for book in books]  # expect: PERF006
