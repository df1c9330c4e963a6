"""Groups for business users: each sees and edits only its own data."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

GROUPS = {
    "Prompt editors": {
        "prompts": [
            "contactflow",
            "prompt",
            "announcement",
            "historicalcontactflow",
            "historicalprompt",
            "historicalannouncement",
        ],
    },
    "Customer data editors": {
        "customers": ["customer", "historicalcustomer"],
    },
}
ACTIONS = ("add", "change", "delete", "view")


def create_groups(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [f"{a}_{m}" for models in by_app.values() for m in models for a in ACTIONS]
        perms = Permission.objects.filter(
            content_type__app_label__in=list(by_app), codename__in=codenames
        )
        group.permissions.set(perms)


def remove_groups(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("customers", "0001_initial"),
        ("prompts", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
