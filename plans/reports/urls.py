# The yearly follow-up report: preview, PDF, review flow.
urlpatterns: list = []
