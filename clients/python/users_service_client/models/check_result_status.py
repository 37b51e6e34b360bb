from enum import StrEnum


class CheckResultStatus(StrEnum):
    FAIL = "fail"
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
