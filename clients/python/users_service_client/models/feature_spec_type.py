from enum import StrEnum


class FeatureSpecType(StrEnum):
    FLOAT = "float"
    INT = "int"

    def __str__(self) -> str:
        return str(self.value)
