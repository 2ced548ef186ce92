stripe = Stripe('pk_live_51HqLyjWDarjtT1zdp7dcXbT1zdp7dcXbT1zd')
pk_url_kwarg = 'slug'
CLICKUP_TOKEN=pk_12345678_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345
pk_1_
pk_pk_pk_
