"""Table definitions (sqlmodel). The log has no UPDATE or DELETE path anywhere in the code."""

from sqlmodel import Field, SQLModel


class EventRow(SQLModel, table=True):
    """One stored event with its envelope; `position` is the global total order."""

    __tablename__ = "event"
    position: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    type: str = Field(index=True, max_length=64)
    key: str = Field(unique=True, max_length=300)
    payload: str
    content_hash: str = Field(max_length=64)
    event_at: str = Field(max_length=20)
    recorded_at: str = Field(max_length=32)
    source: str
    subjects: str
    # Tamper evidence: sha256 over the previous row's hash and this row's canonical content.
    hash: str = Field(max_length=64)


class QuarantineRow(SQLModel, table=True):
    """A feed row that was not accepted, with where it came from and why."""

    __tablename__ = "quarantine"
    id: int | None = Field(default=None, primary_key=True)
    file: str
    line: int
    record_type: str = Field(max_length=64)
    field: str = Field(max_length=64)
    reason: str
    raw: str
    fingerprint: str = Field(unique=True, max_length=64)
    recorded_at: str = Field(max_length=32)


class EntryRow(SQLModel, table=True):
    """Projection (not the log): the entries a rulebook derives, kept current incrementally."""

    __tablename__ = "projection_entry"
    rulebook: str = Field(primary_key=True, max_length=64)
    entry_id: str = Field(primary_key=True, max_length=32)
    subject_type: str = Field(max_length=16)
    subject_id: str = Field(index=True, max_length=64)
    data: str


class CheckpointRow(SQLModel, table=True):
    """How far into the log a projection has read (the last state event it reflects)."""

    __tablename__ = "projection_checkpoint"
    name: str = Field(primary_key=True, max_length=100)
    position: int


class SubjectRow(SQLModel, table=True):
    """Index (not the log): which positions mention a subject, so that `explain` and
    `log --subject` read a subject's events instead of scanning the log. Derived and rebuilt
    like the entries; weighings are left out (see overload/store/subjects.py)."""

    __tablename__ = "projection_subject"
    subject: str = Field(primary_key=True, max_length=300)
    position: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
