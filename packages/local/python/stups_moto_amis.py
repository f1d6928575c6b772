"""moto fidelity patch of EC2 images (stups-local; see docs/stups-local.md).

CreateImage of an EBS-backed instance yields an EBS-backed image (moto 5.2.1 always reports
"standard"), and a DescribeImages search also finds other accounts' public images (moto keeps each
account's images apart; on AWS a public AMI is available to every account).
"""


def patch_amis(module):
    backend = module.AmiBackend
    original = backend.create_image

    def create_image(self, instance_id, *args, **kwargs):
        ami = original(self, instance_id, *args, **kwargs)
        instance = self.get_instance(instance_id)
        ami.root_device_type = getattr(instance, "root_device_type", None) or "ebs"
        return ami

    backend.create_image = create_image

    original_describe = backend.describe_images

    def describe_images(self, ami_ids=None, filters=None, exec_users=None, owners=None):
        # AWS: a public AMI is available to every account, so a search (DescribeImages without ImageIds)
        # also finds other accounts' public images; moto keeps each account's images apart.
        own = original_describe(self, ami_ids=ami_ids, filters=filters, exec_users=exec_users, owners=owners)
        if ami_ids:
            return own
        from moto.ec2.models import ec2_backends

        wanted = [self.account_id if o == "self" else o for o in owners] if owners else None
        seen = set(self.amis) | {a.id for a in own}
        foreign = []
        for account_id, regions in list(dict.items(ec2_backends)):
            other = dict.get(regions, self.region_name) if account_id != self.account_id else None
            if other is None:
                continue
            for ami in original_describe(other, filters=filters, owners=wanted):
                if ami.is_public and ami.id not in seen:
                    seen.add(ami.id)
                    foreign.append(ami)
        return list(own) + foreign

    backend.describe_images = describe_images


PATCHES = {"moto.ec2.models.amis": patch_amis}
