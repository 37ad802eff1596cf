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
    preview = serializers.SerializerMethodField(
        help_text=(
            "The dry run before confirmation: per sheet the header row, the column mapping, "
            "rows to load, rows skipped as not data and rows refused (with reasons), and what "
            "the import will do to claims."
        )
    )

    def get_preview(self, job) -> dict:
        return {k: v for k, v in (job.analysis or {}).items() if k != "kept"}

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
            "skipped_rows",
            "claims_verified",
            "claims_expired",
            "claims_revoked",
            "name_matches",
            "mappings",
            "chosen_sheets",
            "preview",
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


class ListImportAdjustSerializer(serializers.Serializer):
    mappings = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
        help_text='Per sheet name, column index → field ("uscc", "name", …; "" = not read).',
    )
    sheets = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        allow_null=True,
        help_text="The sheets to import; omitted or null: every sheet with a header.",
    )


class ImportRowErrorSerializer(serializers.ModelSerializer):
    message = serializers.CharField(
        source="shown_message",
        read_only=True,
        help_text="Why the row was refused or skipped, in the reader's language.",
    )

    class Meta:
        model = ImportRowError
        fields = ("sheet", "kind", "row_number", "code", "message", "uscc", "name")
        read_only_fields = fields
