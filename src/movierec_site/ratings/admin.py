from django.contrib import admin

from movierec_site.ratings.models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("user", "movie_id", "stars", "updated")
    list_filter = ("stars",)
    search_fields = ("user__username", "movie_id")
    raw_id_fields = ("user",)
