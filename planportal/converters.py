"""URL converters."""


class CountyCodeConverter:
    """A county's letter code (AB … BD, X, O): one or two letters, any case."""

    regex = "[A-Za-z]{1,2}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value
