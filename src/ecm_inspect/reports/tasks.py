"""Background work of the reports: printing a published report's PDF once, into storage."""

from django_tasks import task

from .models import Publication
from .services import publication_pdf_print


@task()
def publication_pdf_print_task(publication_id: int) -> None:
    """Print the publication's PDF (published, or corrected since) and keep it in storage."""
    publication = (
        Publication.objects.select_related("review__area").filter(pk=publication_id).first()
    )
    if publication is None:  # withdrawn meanwhile: nothing to print
        return
    publication_pdf_print(publication=publication)
