from enum import StrEnum


class SecondFactorStatusStateType0(StrEnum):
    CONFIRMED = "confirmed"
    PENDING = "pending"

    def __str__(self) -> str:
        return str(self.value)
