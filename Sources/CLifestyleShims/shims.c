#include "lifestyle_shims.h"
