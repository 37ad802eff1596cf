from rest_framework import serializers

from ecosystem.registries.models import Program


class ProgramSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the active language.")
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Program
        fields = ("id", "code", "name", "name_zh", "name_en", "authority", "level", "level_label")
        read_only_fields = fields
