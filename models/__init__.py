from . import res_company
from . import res_config_settings
from . import service_order_type
from . import service_order
