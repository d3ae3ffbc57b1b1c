"""What mastery's models share: the user model their students point at and the bounds of a probability
field.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator

USER = settings.AUTH_USER_MODEL


PROBABILITY = [MinValueValidator(0.0), MaxValueValidator(1.0)]
