"""The bank's matches by product and limit, covering the firm, version and score its match
export reads (replaces ``match_product_limit_order``, same key): with enterprises 0017 a
branch's export rows 236 -> 129 ms nationally, nothing read from the table (session 14).
Builds in ~4 s nationally; holds writes to the matches meanwhile."""


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('financing', '0027_product_match_totals'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='match',
            name='match_product_limit_order',
        ),
        migrations.AddIndex(
            model_name='match',
            index=models.Index(fields=['product', '-indicative_limit', 'id'], include=('enterprise', 'product_version', 'score'), name='match_product_limit_cover'),
        ),
    ]
