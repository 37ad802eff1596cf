"""A firm's latest verified year with the figures a bank's match export shows, read from the
index alone (session 14; ~1 s to build nationally)."""


from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('enterprises', '0016_enterprise_search_trigrams'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='financialyear',
            index=models.Index(condition=models.Q(('verification_status', 'verified')), fields=['enterprise', '-year'], include=('revenue', 'rd_expense', 'employees'), name='year_verified_latest'),
        ),
    ]
