from enum import StrEnum


class HealthReportStatus(StrEnum):
    FAIL = "fail"
    OK = "ok"

    def __str__(self) -> str:
        return str(self.value)
