from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

from app.services.accounts import profile  # expect: ARCH007, ARCH005

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String, unique=True)

    def as_profile(self, session):
        return profile(session, self.id)
