from rest_framework import serializers

from ecosystem.registries.models import ImportRowError, ListImport, Program, RegistryEntry


class ProgramSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the active language.")
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Program
        fields = ("id", "code", "name", "name_zh", "name_en", "authority", "level", "level_label")
        read_only_fields = fields


class RegistryEntrySerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = RegistryEntry
        fields = (
            "id",
            "program",
            "batch",
            "uscc",
            "name",
            "certificate_number",
            "year",
            "valid_until",
            "region",
            "status",
            "withdrawn_at",
        )
        read_only_fields = fields


class ListImportSerializer(serializers.ModelSerializer):
    program = serializers.SlugRelatedField(slug_field="code", read_only=True)
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ListImport
        fields = (
            "id",
            "program",
            "batch",
            "original_name",
            "sha256",
            "file_format",
            "encoding",
            "header_map",
            "status",
            "phase",
            "percent",
            "total_rows",
            "processed_rows",
            "valid_rows",
            "error_rows",
            "inserted",
            "updated",
            "unchanged",
            "withdrawn",
            "claims_verified",
            "claims_revoked",
            "message",
            "created_at",
            "started_at",
            "finished_at",
        )
        read_only_fields = fields


class ListImportUploadSerializer(serializers.Serializer):
    program = serializers.SlugField(help_text="Program code, e.g. tsme.")
    batch = serializers.CharField(max_length=64)
    file = serializers.FileField()


class ImportRowErrorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRowError
        fields = ("row_number", "code", "message", "uscc", "name")
        read_only_fields = fields
