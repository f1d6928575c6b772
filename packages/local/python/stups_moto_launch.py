"""moto fidelity patches of Auto Scaling groups, launch templates and their CloudFormation updates.

Where moto 5.2.1 differs from AWS, moto itself is patched (these live inside moto's CloudFormation
engine, out of the layer's reach). Each patch reproduces documented AWS behaviour
(docs/stups-local.md, "Launch templates"):

1. A CloudFormation update of an `AWS::AutoScaling::AutoScalingGroup` changes the group in place.
   moto deletes the group and creates a new one, replacing every instance; on AWS, changing
   `LaunchTemplate`, `LaunchConfigurationName`, sizes or subnets is "Update requires: No
   interruption", and running instances are replaced only under an `UpdatePolicy`
   (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-autoscaling-autoscalinggroup.html,
   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-updatepolicy.html).
2. After a stack update, a group whose launch template version (`Fn::GetAtt ... LatestVersionNumber`)
   or launch configuration (`Ref` of a replaced one) resolves to another value is pointed at it.
   moto compares template text only, so a group whose own properties did not change kept naming
   the old version, or a deleted launch configuration (issue 17 item 14).
3. An instance keeps the launch configuration or launch template version it was launched with;
   moto reported the group's current one (and the template's default version) for every instance
   (DescribeAutoScalingGroups `Instances`, "The launch template for the instance";
   https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_Instance.html).
4. A group pointed at a launch template no longer has a launch configuration, and the reverse
   (a group has one of them: https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html).
5. CreateLaunchTemplateVersion with `SourceVersion` inherits the source version's parameters except
   those given in `LaunchTemplateData`; moto ignored `SourceVersion`
   (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html).
   Its `UserData` is kept as base64 as CreateLaunchTemplate keeps it (moto stored it raw, and then
   failed with HTTP 500 when a group launched from that version).
"""

def _launch_version(group):
    lt = group.ec2_launch_template
    wanted = getattr(group, "launch_template_version", None) or "$Default"
    if not str(wanted).startswith("$"):
        return str(wanted)
    try:
        return str(lt.get_version(wanted).number)
    except Exception:
        return str(wanted)


def _patch_autoscaling(module):
    group_class = module.FakeAutoScalingGroup
    state_class = module.InstanceState
    make_int = module.make_int
    backends = module.autoscaling_backends

    original_set = group_class._set_launch_configuration

    def _set_launch_configuration(self, launch_config_name, launch_template, mixed_instances_policy):
        original_set(self, launch_config_name, launch_template, mixed_instances_policy)
        if launch_template or mixed_instances_policy:
            self.launch_config = None
            self.launch_configuration_name = None
        elif launch_config_name:
            self.ec2_launch_template = None
            self.mixed_instances_policy = None

    group_class._set_launch_configuration = _set_launch_configuration

    original_init = state_class.__init__
    original_template = state_class.launch_template
    original_configuration = state_class.launch_configuration_name

    def __init__(self, instance, *args, **kwargs):
        original_init(self, instance, *args, **kwargs)
        group = self.auto_scaling_group
        self._launched_configuration = (
            getattr(group, "launch_configuration_name", None) if group is not None and group.launch_config else None
        )
        lt = group.ec2_launch_template if group is not None else None
        self._launched_template = (
            None
            if lt is None
            else {"LaunchTemplateId": lt.id, "LaunchTemplateName": lt.name, "Version": _launch_version(group)}
        )

    def launch_template(self):
        if hasattr(self, "_launched_template"):
            return self._launched_template
        return original_template.fget(self)

    def launch_configuration_name(self):
        if hasattr(self, "_launched_configuration"):
            return self._launched_configuration
        return original_configuration.fget(self)

    state_class.__init__ = __init__
    state_class.launch_template = property(launch_template)
    state_class.launch_configuration_name = property(launch_configuration_name)

    original_update = group_class.update_from_cloudformation_json.__func__

    def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        backend = backends[account_id][region_name]
        props = cloudformation_json.get("Properties", {})
        name = getattr(original_resource, "name", None)
        if name not in backend.autoscaling_groups or props.get("AutoScalingGroupName") not in (None, name):
            return original_update(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name)
        subnets = props.get("VPCZoneIdentifier") or []
        group = backend.update_auto_scaling_group(
            name=name,
            availability_zones=props.get("AvailabilityZones", []),
            desired_capacity=make_int(props.get("DesiredCapacity")),
            max_size=make_int(props.get("MaxSize")),
            min_size=make_int(props.get("MinSize")),
            launch_config_name=props.get("LaunchConfigurationName"),
            launch_template=props.get("LaunchTemplate", {}),
            vpc_zone_identifier=(",".join(subnets) if isinstance(subnets, list) else subnets) or None,
            health_check_period=make_int(props.get("HealthCheckGracePeriod")),
            health_check_type=props.get("HealthCheckType"),
            new_instances_protected_from_scale_in=props.get("NewInstancesProtectedFromScaleIn"),
            mixed_instances_policy=props.get("MixedInstancesPolicy"),
        )
        group.load_balancer_names = props.get("LoadBalancerNames", [])
        group.target_group_arns = props.get("TargetGroupARNs", [])
        if props.get("TerminationPolicies"):
            group.termination_policies = props.get("TerminationPolicies")
        backend.update_attached_elbs(name)
        backend.update_attached_target_groups(name)
        return group

    group_class.update_from_cloudformation_json = classmethod(update_from_cloudformation_json)


def _patch_parsing(module):
    resource_map = module.ResourceMap
    clean_json = module.clean_json
    original_update = resource_map.update

    def update(self, template, parameters=None):
        original_update(self, template, parameters)
        for logical_id, resource_json in (template.get("Resources") or {}).items():
            if not isinstance(resource_json, dict) or resource_json.get("Type") != "AWS::AutoScaling::AutoScalingGroup":
                continue
            group = self._parsed_resources.get(logical_id)
            if group is None or isinstance(group, str) or not hasattr(group, "autoscaling_backend"):
                continue
            props = resource_json.get("Properties") or {}
            launch_template = clean_json(props.get("LaunchTemplate"), self) if props.get("LaunchTemplate") else None
            launch_configuration = (
                clean_json(props.get("LaunchConfigurationName"), self) if props.get("LaunchConfigurationName") else None
            )
            current_template = group.launch_template or {}
            if launch_template:
                same = (
                    launch_template.get("LaunchTemplateId", current_template.get("LaunchTemplateId"))
                    == current_template.get("LaunchTemplateId")
                    and str(launch_template.get("Version")) == str(current_template.get("Version"))
                )
                if not same:
                    launch_template = dict(launch_template)
                    if launch_template.get("Version") is not None:
                        launch_template["Version"] = str(launch_template["Version"])
                    group._set_launch_configuration(None, launch_template, None)
            elif launch_configuration and launch_configuration != getattr(group, "launch_configuration_name", None):
                if launch_configuration in group.autoscaling_backend.launch_configurations:
                    group._set_launch_configuration(launch_configuration, {}, None)

    resource_map.update = update


def _patch_launch_template_responses(module):
    responses = module.LaunchTemplates
    parse_user_data = module.parse_user_data
    original = responses.create_launch_template_version

    def create_launch_template_version(self):
        source = self._get_param("SourceVersion")
        data = {}
        if source:
            name = self._get_param("LaunchTemplateName")
            template_id = self._get_param("LaunchTemplateId")
            template = (
                self.ec2_backend.get_launch_template(template_id)
                if template_id
                else self.ec2_backend.get_launch_template_by_name(name)
            )
            data.update(template.get_version(source).data)
        given = dict(self._get_param("LaunchTemplateData", {}))
        if "UserData" in given:
            given["UserData"] = parse_user_data(given["UserData"])
        data.update(given)
        original_get_param = self._get_param

        def _get_param(param_name, if_none=None):
            if param_name == "LaunchTemplateData":
                return data
            return original_get_param(param_name, if_none)

        self._get_param = _get_param
        try:
            return original(self)
        finally:
            del self._get_param

    responses.create_launch_template_version = create_launch_template_version


PATCHES = {
    "moto.autoscaling.models": _patch_autoscaling,
    "moto.cloudformation.parsing": _patch_parsing,
    "moto.ec2.responses.launch_templates": _patch_launch_template_responses,
}
