from enum import StrEnum


class UsersListSort(StrEnum):
    CREATED_AT = "created_at"
    USERNAME = "username"
    VALUE_1 = "-created_at"
    VALUE_3 = "-username"

    def __str__(self) -> str:
        return str(self.value)
