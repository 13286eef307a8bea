import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import zipfile
import zlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, config

from .qicai_document_version import CHUNK_SIZE, CONTROLLED_STATES, sha256_of_stream

_logger = logging.getLogger(__name__)

BACKUP_PREFIX = "qicai_docs_"
ARCHIVE_SUFFIX = ".zip"
MANIFEST_SUFFIX = ".manifest.json"
TEMP_SUFFIX = ".part"
MANIFEST_FORMAT = "qicai_docs.backup/1"
DEFAULT_RETENTION = 7
# Key of the PostgreSQL advisory lock that keeps two backups from running at once.
BACKUP_LOCK_KEY = 7360418251
# Errors raised by zipfile and zlib when an archive member has been tampered with.
ARCHIVE_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError)


class BackupFailure(Exception):
    """A backup run that cannot complete; the message is shown to the user."""


def safe_path_part(value):
    """Return ``value`` usable as one path component inside the archive."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", value or "").strip(" .")
    return cleaned or "_"


class QicaiDocumentBackup(models.Model):
    _name = "qicai.document.backup"
    _description = "Document Backup Run"
    _order = "started_on desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/")
    trigger = fields.Selection(
        [("manual", "Manual"), ("scheduled", "Scheduled")],
        required=True,
        default="manual",
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Started By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    started_on = fields.Datetime(readonly=True, default=fields.Datetime.now)
    finished_on = fields.Datetime(readonly=True)
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Succeeded"),
            ("failed", "Failed"),
            ("pruned", "Pruned"),
        ],
        required=True,
        default="running",
        readonly=True,
        index=True,
    )
    directory = fields.Char(string="Backup Directory", readonly=True)
    archive_name = fields.Char(readonly=True)
    manifest_name = fields.Char(readonly=True)
    archive_checksum = fields.Char(string="Archive SHA-256", readonly=True)
    archive_size_mb = fields.Float(
        string="Archive Size (MB)", digits=(16, 2), readonly=True
    )
    version_count = fields.Integer(string="Versions", readonly=True)
    message = fields.Text(readonly=True)
    verify_state = fields.Selection(
        [
            ("unchecked", "Not Verified"),
            ("intact", "Intact"),
            ("damaged", "Damaged"),
        ],
        string="Verification",
        required=True,
        default="unchecked",
        readonly=True,
    )
    verified_on = fields.Datetime(readonly=True)
    verify_report = fields.Text(string="Verification Report", readonly=True)
    line_ids = fields.One2many(
        "qicai.document.backup.line", "backup_id", string="Backed-up Versions"
    )

    # ------------------------------------------------------------------
    # Paths and settings
    # ------------------------------------------------------------------

    def _archive_path(self):
        self.ensure_one()
        return os.path.join(self.directory, self.archive_name)

    def _manifest_path(self):
        self.ensure_one()
        return os.path.join(self.directory, self.manifest_name)

    @api.model
    def _get_retention(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qicai_docs.backup_retention", DEFAULT_RETENTION)
        )
        try:
            return max(int(value), 1)
        except (TypeError, ValueError):
            _logger.warning(
                "Invalid qicai_docs.backup_retention %r, keeping %d backups",
                value,
                DEFAULT_RETENTION,
            )
            return DEFAULT_RETENTION

    @api.model
    def _get_filestore_root(self):
        return os.path.realpath(os.path.join(config["data_dir"], "filestore"))

    @api.model
    def _check_backup_directory(self, directory):
        """Return the usable absolute backup directory, or raise BackupFailure."""
        if not directory:
            raise BackupFailure(
                self.env._(
                    "No backup directory is configured. Ask an administrator to "
                    "set one in Settings > Documents."
                )
            )
        if not os.path.isabs(directory):
            raise BackupFailure(
                self.env._(
                    "The backup directory %(directory)s is not an absolute path. "
                    "Enter a path that starts with /.",
                    directory=directory,
                )
            )
        real = os.path.realpath(directory)
        filestore = self._get_filestore_root()
        if os.path.commonpath([real, filestore]) == filestore:
            raise BackupFailure(
                self.env._(
                    "The backup directory %(directory)s lies inside the filestore "
                    "%(filestore)s and would be lost with it. Choose a directory "
                    "outside the filestore, preferably on another disk.",
                    directory=directory,
                    filestore=filestore,
                )
            )
        # A missing directory is not created: it usually means the backup disk
        # is not mounted, and writing to the system disk instead would hide it.
        if not os.path.isdir(real):
            raise BackupFailure(
                self.env._(
                    "The backup directory %(directory)s does not exist. Mount the "
                    "backup disk or create the directory, or change it in Settings "
                    "> Documents.",
                    directory=directory,
                )
            )
        if not os.access(real, os.W_OK | os.X_OK):
            raise BackupFailure(
                self.env._(
                    "The Odoo server cannot write to the backup directory "
                    "%(directory)s. Give the server user write permission on it.",
                    directory=directory,
                )
            )
        return real

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def action_run_backup(self):
        """Back up every controlled version now and open the run log."""
        self.env["qicai.document"]._check_doc_admin(self.env._("back up"))
        run = self._run_backup("manual")
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": run.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _cron_backup(self):
        """Scheduled backup: write, verify and prune; the result is in the log."""
        return self._run_backup("scheduled")

    @api.model
    def _run_backup(self, trigger):
        """Write a verified backup archive and its manifest, then prune old ones.

        The run is always logged. A failure leaves no partial file and never
        touches earlier backups.
        """
        directory = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("qicai_docs.backup_directory")
        )
        started_on = fields.Datetime.now()
        run = self.create(
            {
                "trigger": trigger,
                "directory": directory or "",
                "started_on": started_on,
                # Replaced by the archive name once the archive is written.
                "name": self.env._(
                    "Backup run of %(date)s",
                    date=fields.Datetime.to_string(
                        fields.Datetime.context_timestamp(self, started_on)
                    )[:16],
                ),
            }
        )
        _logger.info(
            "Document backup %s started (%s) to %s", run.id, trigger, directory
        )
        try:
            run._write_backup()
        except BackupFailure as failure:
            run._mark_failed(str(failure))
        except OSError as error:
            run._mark_failed(run._describe_os_error(error))
        if run.state == "done":
            run._verify()
            run._prune()
        return run

    def _mark_failed(self, message):
        self.ensure_one()
        self.write(
            {
                "state": "failed",
                "finished_on": fields.Datetime.now(),
                "message": message,
            }
        )
        _logger.error("Document backup %s failed: %s", self.id, message)

    def _describe_os_error(self, error):
        self.ensure_one()
        if error.errno == errno.ENOSPC:
            return self.env._(
                "The backup disk is full (%(directory)s): %(error)s. Free space or "
                "choose another directory, then run the backup again. Earlier "
                "backups are untouched.",
                directory=self.directory,
                error=error.strerror or error,
            )
        return self.env._(
            "Writing the backup to %(directory)s failed: %(error)s. Earlier "
            "backups are untouched.",
            directory=self.directory,
            error=error.strerror or error,
        )

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def _get_versions_to_back_up(self):
        # A backup contains every controlled version of the database, whatever
        # companies the administrator who started it has selected.
        return (
            self.env["qicai.document.version"]
            .sudo()
            .search(
                [("state", "in", CONTROLLED_STATES), ("checksum", "!=", False)],
                order="document_id, version",
            )
        )

    def _acquire_lock(self):
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s)", BACKUP_LOCK_KEY)
        )
        if not self.env.cr.fetchone()[0]:
            raise BackupFailure(
                self.env._(
                    "Another document backup is running. Run this one again when "
                    "it has finished."
                )
            )

    def _write_backup(self):
        self.ensure_one()
        directory = self._check_backup_directory(self.directory)
        self._acquire_lock()
        self._remove_leftover_temp_files(directory)

        stamp = fields.Datetime.context_timestamp(self, self.started_on)
        base_name = (
            f"{BACKUP_PREFIX}{safe_path_part(self.env.cr.dbname)}_"
            f"{stamp:%Y%m%d_%H%M%S}_{self.id}"
        )
        archive_name = base_name + ARCHIVE_SUFFIX
        manifest_name = base_name + MANIFEST_SUFFIX
        archive_path = os.path.join(directory, archive_name)
        manifest_path = os.path.join(directory, manifest_name)
        archive_temp = os.path.join(directory, f".{archive_name}{TEMP_SUFFIX}")
        manifest_temp = os.path.join(directory, f".{manifest_name}{TEMP_SUFFIX}")
        versions = self._get_versions_to_back_up()

        renamed = []
        try:
            entries, problems = self._write_archive(archive_temp, versions)
            if problems:
                raise BackupFailure(self._describe_problems(problems))
            with open(archive_temp, "rb") as archive_file:
                archive_checksum, archive_size = sha256_of_stream(archive_file)
            manifest = {
                "format": MANIFEST_FORMAT,
                "database": self.env.cr.dbname,
                "created": fields.Datetime.to_string(self.started_on),
                "archive": archive_name,
                "archive_sha256": archive_checksum,
                "entries": entries,
            }
            self._write_manifest(manifest_temp, manifest)
            os.replace(archive_temp, archive_path)
            renamed.append(archive_path)
            os.replace(manifest_temp, manifest_path)
            renamed.append(manifest_path)
            self._fsync_directory(directory)
        except BaseException:
            for path in (archive_temp, manifest_temp, *renamed):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)
            raise

        self.write(
            {
                "name": archive_name,
                "state": "done",
                "finished_on": fields.Datetime.now(),
                "directory": directory,
                "archive_name": archive_name,
                "manifest_name": manifest_name,
                "archive_checksum": archive_checksum,
                "archive_size_mb": archive_size / (1024 * 1024),
                "version_count": len(entries),
                "message": self.env._(
                    "%(count)s versions written to %(archive)s.",
                    count=len(entries),
                    archive=archive_path,
                ),
                "line_ids": [
                    fields.Command.create(self._prepare_line_vals(entry))
                    for entry in entries
                ],
            }
        )
        versions.write(
            {"integrity_state": "ok", "integrity_checked_on": fields.Datetime.now()}
        )
        _logger.info(
            "Document backup %s wrote %d versions to %s (%d bytes)",
            self.id,
            len(entries),
            archive_path,
            archive_size,
        )

    def _write_archive(self, path, versions):
        """Stream every version file into a new ZIP archive at ``path``.

        Returns the manifest entries and the problems found: files missing
        from the filestore, unreadable, or differing from their checksum.
        """
        entries = []
        problems = []
        used_members = set()
        with open(path, "xb") as raw_file:
            with zipfile.ZipFile(
                raw_file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True
            ) as archive:
                for version in versions:
                    label = f"{version.document_id.name} v{version.version}"
                    try:
                        source = version._open_stored_file()
                    except OSError as error:
                        problems.append(("unreadable", version, label, error.strerror))
                        continue
                    if source is None:
                        problems.append(("missing", version, label, ""))
                        continue
                    member = self._member_name(version, used_members)
                    with source:
                        checksum, size = self._copy_to_archive(
                            source, archive, member, version
                        )
                    if checksum != version.checksum:
                        problems.append(("altered", version, label, checksum))
                        continue
                    entries.append(
                        {
                            "number": version.document_id.name,
                            "title": version.document_id.title,
                            "version": version.version,
                            "document_id": version.document_id.id,
                            "version_id": version.id,
                            "state": version.state,
                            "file_name": version.file_name,
                            "member": member,
                            "sha256": checksum,
                            "size": size,
                        }
                    )
            raw_file.flush()
            os.fsync(raw_file.fileno())
        return entries, problems

    def _copy_to_archive(self, source, archive, member, version):
        """Copy ``source`` into ``member`` of ``archive`` in chunks.

        Returns the SHA-256 and the size of the bytes copied.
        """
        moment = version.approved_on or self.started_on
        info = zipfile.ZipInfo(member, date_time=moment.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        digest = hashlib.sha256()
        size = 0
        with archive.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
                self._write_chunk(target, chunk)
        return digest.hexdigest(), size

    def _write_chunk(self, target, chunk):
        target.write(chunk)

    def _member_name(self, version, used_members):
        member = "/".join(
            [
                safe_path_part(version.document_id.name),
                f"v{version.version}",
                safe_path_part(version.file_name),
            ]
        )
        if member in used_members:
            member = f"company_{version.company_id.id}/{member}"
        used_members.add(member)
        return member

    def _write_manifest(self, path, manifest):
        with open(path, "x", encoding="utf-8") as manifest_file:
            json.dump(manifest, manifest_file, ensure_ascii=False, indent=2)
            manifest_file.flush()
            os.fsync(manifest_file.fileno())

    def _fsync_directory(self, directory):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def _remove_leftover_temp_files(self, directory):
        """Remove temporary files that an interrupted run left behind."""
        for name in os.listdir(directory):
            if name.startswith("." + BACKUP_PREFIX) and name.endswith(TEMP_SUFFIX):
                _logger.warning("Removing leftover backup file %s", name)
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(directory, name))

    def _describe_problems(self, problems):
        versions = self.env["qicai.document.version"]
        details = []
        for kind, version, label, info in problems:
            if kind == "missing":
                details.append(
                    self.env._(
                        "%(version)s: file missing from the filestore", version=label
                    )
                )
                version.integrity_state = "missing"
            elif kind == "unreadable":
                details.append(
                    self.env._(
                        "%(version)s: file unreadable (%(error)s)",
                        version=label,
                        error=info,
                    )
                )
            else:
                details.append(
                    self.env._(
                        "%(version)s: file altered, SHA-256 %(actual)s instead of "
                        "%(expected)s",
                        version=label,
                        actual=info,
                        expected=version.checksum,
                    )
                )
                version.integrity_state = "altered"
            versions |= version
        versions.integrity_checked_on = fields.Datetime.now()
        return "\n".join(
            [
                self.env._(
                    "Backup stopped: %(count)s version files are missing, unreadable "
                    "or altered, so no archive was written. Earlier backups are "
                    "untouched. Restore these versions from a verified backup, then "
                    "run the backup again.",
                    count=len(problems),
                ),
                *[f"- {detail}" for detail in details],
            ]
        )

    def _prepare_line_vals(self, entry):
        return {
            "document_id": entry["document_id"],
            "version_id": entry["version_id"],
            "document_number": entry["number"],
            "version": entry["version"],
            "file_name": entry["file_name"],
            "member": entry["member"],
            "checksum": entry["sha256"],
            "file_size": entry["size"],
        }

    # ------------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------------

    def action_verify(self):
        """Recompute the checksums of the archive against its manifest."""
        self.env["qicai.document"]._check_doc_admin(self.env._("verify backup"))
        not_done = self.filtered(lambda r: r.state != "done")
        if not_done:
            raise UserError(
                self.env._(
                    "Backup %(backups)s did not succeed or was pruned, so it has no "
                    "archive to verify.",
                    backups=", ".join(not_done.mapped("name")),
                )
            )
        self._verify()
        return True

    def _verify(self):
        """Check each archive member against the manifest and the log.

        Sets the verification state of the run and of each line and returns
        the list of problems found.
        """
        all_problems = []
        for run in self:
            line_states = dict.fromkeys(run.line_ids.ids, "ok")
            problems = run._verify_archive(line_states)
            for line in run.line_ids:
                line.verify_state = line_states[line.id]
            run.write(
                {
                    "verify_state": "damaged" if problems else "intact",
                    "verified_on": fields.Datetime.now(),
                    "verify_report": "\n".join(problems)
                    or self.env._(
                        "All %(count)s files match their SHA-256 checksums.",
                        count=len(run.line_ids),
                    ),
                }
            )
            if problems:
                _logger.warning(
                    "Document backup %s verification found %d problems",
                    run.id,
                    len(problems),
                )
            else:
                _logger.info("Document backup %s verified intact", run.id)
            all_problems += problems
        return all_problems

    def _verify_archive(self, line_states):
        self.ensure_one()
        problems = []
        archive_path = self._archive_path()
        if not os.path.isfile(archive_path):
            line_states.update(dict.fromkeys(line_states, "missing"))
            return [self.env._("Archive %(path)s is missing.", path=archive_path)]
        with open(archive_path, "rb") as archive_file:
            archive_checksum, _size = sha256_of_stream(archive_file)
        if archive_checksum != self.archive_checksum:
            problems.append(
                self.env._(
                    "Archive %(path)s changed after it was written (SHA-256 "
                    "%(actual)s instead of %(expected)s).",
                    path=archive_path,
                    actual=archive_checksum,
                    expected=self.archive_checksum,
                )
            )
        problems += self._verify_manifest()
        try:
            with zipfile.ZipFile(archive_path) as archive:
                problems += self._verify_members(archive, line_states)
        except ARCHIVE_READ_ERRORS as error:
            line_states.update(dict.fromkeys(line_states, "altered"))
            problems.append(
                self.env._(
                    "Archive %(path)s cannot be read: %(error)s",
                    path=archive_path,
                    error=error,
                )
            )
        return problems

    def _verify_manifest(self):
        manifest_path = self._manifest_path()
        try:
            with open(manifest_path, encoding="utf-8") as manifest_file:
                manifest = json.load(manifest_file)
        except FileNotFoundError:
            return [self.env._("Manifest %(path)s is missing.", path=manifest_path)]
        except (OSError, ValueError) as error:
            return [
                self.env._(
                    "Manifest %(path)s cannot be read: %(error)s",
                    path=manifest_path,
                    error=error,
                )
            ]
        recorded = {line.member: line.checksum for line in self.line_ids}
        listed = {
            entry.get("member"): entry.get("sha256")
            for entry in manifest.get("entries", [])
        }
        if listed != recorded:
            return [
                self.env._(
                    "Manifest %(path)s does not match the backup log: entries were "
                    "added, removed or changed.",
                    path=manifest_path,
                )
            ]
        return []

    def _verify_members(self, archive, line_states):
        problems = []
        names = set(archive.namelist())
        for line in self.line_ids:
            label = f"{line.document_number} v{line.version}"
            if line.member not in names:
                line_states[line.id] = "missing"
                problems.append(
                    self.env._(
                        "%(version)s: file %(member)s is missing from the archive.",
                        version=label,
                        member=line.member,
                    )
                )
                continue
            try:
                with archive.open(line.member) as member:
                    checksum, _size = sha256_of_stream(member)
            except ARCHIVE_READ_ERRORS as error:
                line_states[line.id] = "altered"
                problems.append(
                    self.env._(
                        "%(version)s: file %(member)s is damaged (%(error)s).",
                        version=label,
                        member=line.member,
                        error=error,
                    )
                )
                continue
            if checksum != line.checksum:
                line_states[line.id] = "altered"
                problems.append(
                    self.env._(
                        "%(version)s: file %(member)s was altered (SHA-256 "
                        "%(actual)s instead of %(expected)s).",
                        version=label,
                        member=line.member,
                        actual=checksum,
                        expected=line.checksum,
                    )
                )
        for extra in sorted(names - set(self.line_ids.mapped("member"))):
            problems.append(
                self.env._(
                    "The archive contains %(member)s, which the backup did not write.",
                    member=extra,
                )
            )
        return problems

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    @api.model
    def _prune(self):
        """Delete the archives of successful runs beyond the retention count."""
        retention = self._get_retention()
        runs = self.search([("state", "=", "done")], order="started_on desc, id desc")
        pruned = self.browse()
        for run in runs[retention:]:
            try:
                for path in (run._archive_path(), run._manifest_path()):
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(path)
            except OSError as error:
                _logger.warning(
                    "Document backup %s could not be pruned: %s", run.id, error
                )
                continue
            pruned |= run
        pruned.write({"state": "pruned"})
        if pruned:
            _logger.info(
                "Pruned %d document backups beyond the retention of %d",
                len(pruned),
                retention,
            )
        return pruned
