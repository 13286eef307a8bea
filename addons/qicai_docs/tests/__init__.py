from . import test_document_workflow
from . import test_document_review
from . import test_acknowledgement
from . import test_backup
from . import test_access
from . import test_ledger
from . import test_reference
from . import test_chinese_walkthrough
