"""The editorial side: who may do what (workflow.py), the admin's ModelAdmins (admin.py),
its forms (forms.py), and the admin site with the review queue, the data-quality page
and the import pages (site.py)."""
